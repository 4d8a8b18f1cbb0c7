ARG BASE
FROM ${BASE}
COPY dir /dir
RUN rm -rf /dir && mkdir /dir && echo new > /dir/new.txt && rm -rf /data && echo file > /data
