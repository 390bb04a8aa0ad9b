"""A year of the monitor, step by step, below both shells (the command line and the workbench).

Each step takes an opened `Project` and plain arguments and returns plain results, which the
shells print or render:

    project.init / project.open    the folder, its secret and its codebook, opened once
    imports.import_files           chat exports and coded cases into the store
    linking.propose                the same visitor under several usernames: scored pairs, stored
    screening.screen               every chat about trafficking or not, the unflagged ones too
    suggesting.suggest_year        suggested codes for every case of the year
    monitoring.monitor             the tables by the codebook's counting rules
    monitoring.report              the report's files
    monitoring.check               the computed figures against a published report's
    suggesting.evaluate            suggestions against the researchers' codes
    measuring.measure              suggestions, screening and redaction against texts annotated by hand
    demo.demo                      all of them on the synthetic corpus
"""
