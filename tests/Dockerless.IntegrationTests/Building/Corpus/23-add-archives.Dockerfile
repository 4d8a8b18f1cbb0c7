ARG BASE
FROM ${BASE}
ADD archive.tar.gz /gz/
ADD archive.tar.bz2 /bz2/
ADD archive.tar.xz /xz/
ADD archive.tar /plain/
