ARG BASE
FROM ${BASE}
VOLUME /vol
RUN mkdir -p /vol && echo kept > /vol/x
