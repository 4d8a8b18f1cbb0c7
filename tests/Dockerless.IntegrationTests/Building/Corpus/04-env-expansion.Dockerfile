ARG BASE
FROM ${BASE}
ENV A=1 B=${A}2
ENV C="$B 3" D=${UNSET:-fallback} E=${A:+set}
LABEL x=$C y="${D}"
WORKDIR /w/$A
ENV LEGACY value with spaces
