# The livebook server image. Build from the repository root:
#   docker build -f deploy/docker/livebook.Dockerfile -t gonx/livebook .
# The image keeps the Go toolchain: the notebook kernel compiles Go cells.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/livebook ./livebook/cmd/livebook

FROM golang:1.26-bookworm
RUN useradd --create-home --uid 1000 livebook
COPY --from=build /out/livebook /usr/local/bin/livebook
USER livebook
WORKDIR /home/livebook
ENTRYPOINT ["livebook"]
CMD ["version"]
