ARG BASE
FROM ${BASE} AS checked
HEALTHCHECK --interval=1m30s --timeout=3s --start-period=500ms --retries=3 CMD ["/bin/true"]
FROM checked
HEALTHCHECK NONE
