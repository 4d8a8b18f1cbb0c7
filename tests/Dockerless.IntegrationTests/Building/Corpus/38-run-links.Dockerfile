ARG BASE
FROM ${BASE}
RUN ln -s /data/hello.txt /link && ln -s dangling /dangling \
 && echo x > /h1 && ln /h1 /h2 && mkdir /hl && ln /h1 /hl/h3
