"""The project's database: a Django app used by the CLI (through the ORM) and the workbench."""
