# One image per backend, built from the repository root:
#   docker build -f docker/backend.Dockerfile --build-arg APP=store -t native-login-store .
#   docker build -f docker/backend.Dockerfile --build-arg APP=forum -t native-login-forum .
# APP is the workspace under apps/ (store or forum); PORT the port it listens on in the container,
# which the app reads as STORE_PORT or FORUM_PORT (docker-compose.yml sets both).

# --- build: every workspace's dependencies, then the TypeScript and the SPA ---------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/kickstart/package.json packages/kickstart/
COPY packages/login-ui/package.json packages/login-ui/
COPY packages/session-login/package.json packages/session-login/
COPY packages/test-support/package.json packages/test-support/
COPY apps/forum/package.json apps/forum/
COPY apps/fusionauth-dev/package.json apps/fusionauth-dev/
COPY apps/stack/package.json apps/stack/
COPY apps/store/package.json apps/store/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY packages packages
COPY apps apps
COPY bench bench
ARG APP=store
RUN npx tsc -b packages/session-login apps/${APP} && npm run build:web -w @native-login/${APP}

# --- run: the backend's production dependencies and its built files, as an unprivileged user ----
FROM node:20-bookworm-slim
ARG APP=store
ARG PORT=3000
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APP=${APP} \
    PORT=${PORT}
WORKDIR /app
# Every workspace's package.json, so that the lock file matches; only the backend's own
# dependencies (and the workspaces it uses) are installed.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/kickstart/package.json packages/kickstart/
COPY --from=build /app/packages/login-ui/package.json packages/login-ui/
COPY --from=build /app/packages/session-login/package.json packages/session-login/
COPY --from=build /app/packages/test-support/package.json packages/test-support/
COPY --from=build /app/apps/forum/package.json apps/forum/
COPY --from=build /app/apps/fusionauth-dev/package.json apps/fusionauth-dev/
COPY --from=build /app/apps/stack/package.json apps/stack/
COPY --from=build /app/apps/store/package.json apps/store/
COPY --from=build /app/bench/package.json bench/
RUN npm ci --omit=dev --no-audit --no-fund --workspace @native-login/${APP} --include-workspace-root=false \
    && npm cache clean --force
COPY --from=build /app/packages/session-login/dist packages/session-login/dist
COPY --from=build /app/apps/${APP}/dist apps/${APP}/dist
USER node
EXPOSE ${PORT}
# Ready means Redis and FusionAuth answer and the process is not draining (see /readyz).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, so the draining shutdown runs.
CMD ["sh", "-c", "exec node apps/${APP}/dist/server.js"]
