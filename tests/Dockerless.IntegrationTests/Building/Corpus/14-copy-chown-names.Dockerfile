ARG BASE
FROM ${BASE}
COPY --chown=app:staff a.txt /home/app/
COPY --chown=app dir /home/app/dir
COPY --chown=:staff b.md /group-only.md
