# escape=`
ARG BASE
FROM ${BASE}
ENV PATHS=C:\dir `
    MORE=1
LABEL a=`$literal
