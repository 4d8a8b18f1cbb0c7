ARG BASE
FROM ${BASE}
COPY a.txt b.md /docs/
