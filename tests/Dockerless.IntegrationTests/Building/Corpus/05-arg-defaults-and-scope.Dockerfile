ARG BASE
ARG V=global
FROM ${BASE}
ARG V
ARG W=${V}-w
ENV X=$V Y=$W
ARG Z=z
ENV Z=from-env
ARG Z=ignored
ENV ZZ=$Z
