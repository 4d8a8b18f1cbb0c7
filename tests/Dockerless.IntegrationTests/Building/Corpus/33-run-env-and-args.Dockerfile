ARG BASE
FROM ${BASE}
ARG FIRST=one
ENV SECOND=two
ARG SECOND=shadowed
RUN echo "$FIRST $SECOND" > /vars.txt
ARG LATER
RUN echo "later=${LATER:-unset}" >> /vars.txt
