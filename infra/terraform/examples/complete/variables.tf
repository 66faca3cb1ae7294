variable "plan_id" {
  description = "Id of the plan to create (plans cannot be deleted through the API: pick a new id per run in tests)."
  type        = string
  default     = "team"
}

variable "tenant_name" {
  description = "Name of the tenant."
  type        = string
  default     = "acme"
}

variable "search_collections" {
  description = "Collections the read-only key may search."
  type        = set(string)
  default     = ["docs"]
}

variable "docs_ef" {
  description = "Default search candidate list of the docs collection (changes in place)."
  type        = number
  default     = 64
}

variable "backup_interval_hours" {
  description = "Hours between scheduled backups of the plan's tenants."
  type        = number
  default     = 24
}
