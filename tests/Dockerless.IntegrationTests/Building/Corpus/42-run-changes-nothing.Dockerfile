ARG BASE
FROM ${BASE}
RUN true
RUN echo only output
RUN test -f /data/hello.txt
