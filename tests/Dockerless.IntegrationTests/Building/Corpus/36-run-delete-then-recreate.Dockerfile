ARG BASE
FROM ${BASE}
RUN rm /data/hello.txt && echo replaced > /data/hello.txt
RUN rm -rf /data && mkdir /data && chmod 0750 /data
