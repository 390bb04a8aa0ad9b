"""The workbench keeps its data in the store (zicht.store.models)."""
