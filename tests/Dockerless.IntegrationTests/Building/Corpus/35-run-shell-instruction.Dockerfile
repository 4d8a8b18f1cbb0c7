ARG BASE
FROM ${BASE}
SHELL ["/bin/sh", "-e", "-c"]
RUN echo "set: $-" > /shell.txt
SHELL ["/bin/echo", "-n"]
RUN > /dev/null
