ARG BASE
FROM ${BASE} AS build
COPY dir /src
FROM scratch
COPY --from=build /src/sub /out/
COPY --from=0 /bin/busybox /bin/
