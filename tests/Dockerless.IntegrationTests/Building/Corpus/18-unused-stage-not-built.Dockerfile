ARG BASE
FROM ${BASE} AS unused
RUN exit 1
FROM ${BASE} AS used
LABEL built=yes
FROM used
ENV FINAL=1
