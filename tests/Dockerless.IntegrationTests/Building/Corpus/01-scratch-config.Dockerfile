FROM scratch
ENV A=1 B="two words"
LABEL l1=v1 "l 2"="v 2"
USER 1000:1000
EXPOSE 80 53/udp
VOLUME /data
STOPSIGNAL SIGINT
MAINTAINER someone
ENTRYPOINT ["/bin/sh"]
CMD ["-c", "echo"]
HEALTHCHECK --interval=5s CMD echo ok
SHELL ["/bin/sh", "-ec"]
COPY a.txt /
