ARG BASE
FROM ${BASE}
COPY dir /dir
RUN rm /data/hello.txt && rm -rf /dir/sub && rm /bin/readlink
