ARG BASE
FROM ${BASE}
RUN touch /suid && chmod 4755 /suid && chown 1000:1001 /suid \
 && mkdir /sticky && chmod 1777 /sticky \
 && mkdir /private && chmod 0700 /private && chown 1000:50 /private \
 && chmod 0700 /data
