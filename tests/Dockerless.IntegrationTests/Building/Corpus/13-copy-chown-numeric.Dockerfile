ARG BASE
FROM ${BASE}
COPY --chown=1000:1000 a.txt /owned/
COPY --chown=7 dir /owned-dir
