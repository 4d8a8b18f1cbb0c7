ARG BASE
FROM ${BASE}
COPY --chmod=0600 a.txt /secret.txt
COPY --chmod=755 dir /exec/
