ARG BASE
FROM ${BASE}
COPY a.txt /renamed.txt
COPY a.txt /deep/er/file
