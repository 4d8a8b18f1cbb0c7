ARG BASE
FROM ${BASE} AS build
WORKDIR /build
RUN echo artifact > out.bin && mkdir -p tree/sub && echo leaf > tree/sub/leaf
FROM ${BASE}
COPY --from=build /build/out.bin /app/
COPY --from=build /build/tree /app/tree
RUN ls -R /app > /app/contents.txt
