ARG BASE
FROM ${BASE}
ADD a.txt /added/
ADD --chown=1000 dir /adir
