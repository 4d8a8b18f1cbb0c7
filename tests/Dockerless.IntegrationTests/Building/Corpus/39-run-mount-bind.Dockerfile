ARG BASE
FROM ${BASE} AS other
RUN echo from-stage > /stage.txt
FROM ${BASE}
RUN --mount=type=bind,source=dir,target=/src cp /src/y.md /copied.md && ls /src > /listing.txt
RUN --mount=type=bind,from=other,source=/stage.txt,target=/mnt/stage.txt cat /mnt/stage.txt > /from-stage.txt
RUN --mount=type=bind,target=/ctx,rw echo scribble > /ctx/a.txt && cat /ctx/a.txt > /rw.txt
