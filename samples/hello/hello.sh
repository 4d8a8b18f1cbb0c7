#!/bin/sh
# The sample app of the README: prints a greeting and the file shipped beside it.
echo "Hello from an image built by dockerless"
cat /app/message.txt
