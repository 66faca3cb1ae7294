# terraform test: applies the example against a running platform, checks what the API answered, then destroys it.
# Run from infra/terraform/examples/complete with the provider variables set (PIRAMID_ENDPOINT, PIRAMID_CLIENT_ID,
# PIRAMID_CLIENT_SECRET, TF_CLI_CONFIG_FILE=.piramid/terraform.rc) and a plan id and tenant name not taken yet:
#   terraform test -var plan_id=tftest-1 -var tenant_name=tftest-1

run "creates_everything" {
  command = apply

  assert {
    condition     = startswith(piramid_tenant.acme.id, "t_") && piramid_tenant.acme.status == "active"
    error_message = "The tenant was not created active."
  }

  assert {
    condition     = piramid_tenant.acme.plan == var.plan_id
    error_message = "The tenant is not on the plan."
  }

  assert {
    condition     = startswith(piramid_api_key.search.key, "pk_") && piramid_api_key.search.collections == toset(["docs"])
    error_message = "The search key has no secret or the wrong scope."
  }

  assert {
    condition     = piramid_backup_schedule.team.id == var.plan_id && piramid_backup_schedule.team.backup_interval_hours == 24 && piramid_backup_schedule.team.backup_retention_days == 14
    error_message = "The plan's backup schedule differs from the configuration."
  }

  assert {
    condition     = piramid_collection.docs.index.ef == 64 && piramid_collection.docs.index.m == 16 && piramid_collection.docs.schema["year"] == "integer"
    error_message = "The collection's settings differ from the configuration."
  }
}

run "changes_the_scope_ef_and_schedule" {
  command = apply

  variables {
    search_collections    = ["docs", "archive"]
    docs_ef               = 128
    backup_interval_hours = 6
  }

  assert {
    condition     = piramid_backup_schedule.team.backup_interval_hours == 6
    error_message = "The backup interval did not change."
  }

  assert {
    condition     = piramid_api_key.search.collections == toset(["docs", "archive"])
    error_message = "The search key's scope did not change."
  }

  assert {
    condition     = piramid_collection.docs.index.ef == 128
    error_message = "The collection's ef did not change."
  }
}
