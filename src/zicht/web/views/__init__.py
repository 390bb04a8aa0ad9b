"""The workbench's pages, one module per task of the researchers."""
