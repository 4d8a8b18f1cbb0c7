ARG BASE
FROM ${BASE}
RUN ["/bin/sh", "-c", "echo exec > /exec.txt"]
RUN ["/bin/mkdir", "-p", "/from/exec"]
