ARG BASE
FROM ${BASE}
USER app
WORKDIR /home/app/work
RUN id -u > uid.txt && id -g > gid.txt && pwd > pwd.txt && touch owned
USER root
RUN chown 1000:50 /home/app/work/owned
