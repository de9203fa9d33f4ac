# A Pharos node in a container: a static binary on an empty image, run as
# an unprivileged user, its store on the /data volume.
#   docker build -t pharos .
#   docker run -p 8080:8080 -v $PWD/examples:/etc/pharos:ro -v pharos-data:/data pharos
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/pharos ./cmd/pharos && mkdir /out/data

FROM scratch
COPY --from=build /out/pharos /pharos
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/pharos"]
CMD ["serve", "--config", "/etc/pharos/node.yaml", "--data", "/data", "--listen", ":8080"]
