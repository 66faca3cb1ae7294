# A complete Piramid setup: a plan with a backup schedule, a tenant on it, an admin key for Terraform itself, two scoped keys and a
# collection with a metadata schema. The endpoint and the operator's client credentials come from
# PIRAMID_ENDPOINT, PIRAMID_CLIENT_ID and PIRAMID_CLIENT_SECRET (./piramid up prints them).
terraform {
  required_version = ">= 1.6"
  required_providers {
    piramid = {
      source = "piramid/piramid"
    }
  }
}

provider "piramid" {}

resource "piramid_plan" "team" {
  id                    = var.plan_id
  name                  = "Team"
  max_collections       = 20
  max_points            = 5000000
  max_storage_bytes     = 21474836480
  max_dimension         = 4096
  read_rate_per_second  = 200
  read_burst            = 400
  write_rate_per_second = 100
  write_burst           = 200
  monthly_read_units    = 50000000
  monthly_write_units   = 10000000
}

# Backups are scheduled per plan: every tenant on it is backed up daily and can be restored to any instant of the
# last day.
resource "piramid_backup_schedule" "team" {
  plan_id               = piramid_plan.team.id
  backup_interval_hours = var.backup_interval_hours
  backup_retention_days = 14
  pitr_window_hours     = 24
}

resource "piramid_tenant" "acme" {
  name = var.tenant_name
  plan = piramid_plan.team.id
}

# Collections are managed with a tenant admin key: the gateway does not take operator tokens on data paths.
resource "piramid_api_key" "terraform" {
  tenant_id = piramid_tenant.acme.id
  name      = "terraform"
  role      = "admin"
}

resource "piramid_api_key" "search" {
  tenant_id   = piramid_tenant.acme.id
  name        = "search-frontend"
  role        = "read_only"
  collections = var.search_collections
}

resource "piramid_api_key" "ingest" {
  tenant_id   = piramid_tenant.acme.id
  name        = "ingest-pipeline"
  role        = "read_write"
  collections = [piramid_collection.docs.name]
}

provider "piramid" {
  alias   = "acme"
  api_key = piramid_api_key.terraform.key
}

resource "piramid_collection" "docs" {
  provider  = piramid.acme
  tenant_id = piramid_tenant.acme.id
  name      = "docs"
  dimension = 384
  metric    = "cosine"
  index = {
    type            = "hnsw"
    m               = 16
    ef_construction = 200
    ef              = var.docs_ef
  }
  schema = {
    lang  = "keyword"
    year  = "integer"
    title = "text"
  }
}
