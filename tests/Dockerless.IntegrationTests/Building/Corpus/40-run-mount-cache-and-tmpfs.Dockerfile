ARG BASE
FROM ${BASE}
RUN --mount=type=cache,target=/var/cache/thing touch /var/cache/thing/stamp && echo ok > /cache-ok.txt
RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/f && cat /scratch/f > /tmpfs.txt
RUN --mount=type=cache,target=/data echo hidden > /data/hidden.txt
