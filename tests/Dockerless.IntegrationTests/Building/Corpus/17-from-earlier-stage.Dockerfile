ARG BASE
FROM ${BASE} AS one
ENV A=1
CMD ["x"]
FROM one
ENTRYPOINT ["y"]
LABEL stage=two
