output "tenant_id" {
  value = piramid_tenant.acme.id
}

output "admin_key" {
  value     = piramid_api_key.terraform.key
  sensitive = true
}

output "search_key" {
  value     = piramid_api_key.search.key
  sensitive = true
}

output "ingest_key" {
  value     = piramid_api_key.ingest.key
  sensitive = true
}
