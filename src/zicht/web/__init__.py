"""The workbench: researchers code, consult and review in the browser, on the project's store."""
