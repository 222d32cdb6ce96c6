"""Pure, typed stages of Telaah: ingest, segment, classify, themes, findings.

Nothing in this package touches the file system, the network or Prefect; stages take records
and bytes and return records, so they can be tested in isolation and orchestrated anywhere.
"""
