ARG BASE
FROM ${BASE}
COPY dir /target/
COPY dir/sub /target2
