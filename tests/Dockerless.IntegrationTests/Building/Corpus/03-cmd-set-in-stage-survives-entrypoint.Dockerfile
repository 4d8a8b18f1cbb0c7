ARG BASE
FROM ${BASE}
CMD ["hello"]
ENTRYPOINT ["/bin/echo"]
