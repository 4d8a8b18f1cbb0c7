ARG BASE
FROM ${BASE} AS left
COPY a.txt /left.txt
FROM ${BASE} AS right
COPY b.md /right.md
FROM scratch
COPY --from=left /left.txt /
COPY --from=right /right.md /
