ARG BASE
FROM ${BASE}
SHELL ["/bin/sh", "-ec"]
CMD echo "hi $HOME"
ENTRYPOINT echo x
