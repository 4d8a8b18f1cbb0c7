FROM scratch
VOLUME ["/v1", "/v2"]
VOLUME /v3 /v4
EXPOSE 8080-8081/tcp 9/udp 7/TCP
COPY a.txt /
