ARG BASE
FROM ${BASE}
RUN echo hi > /a.txt && mkdir -p /made/deep && touch /made/deep/f && echo more >> /data/hello.txt
