ARG BASE
FROM ${BASE}
COPY *.md /md/
COPY dir/*/x.txt /x/
COPY d?r/y.m[a-d] /y/
