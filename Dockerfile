# One image for every container of the product: docker-compose.yml picks what each one runs
# with SERVICES (see the comment there).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The manifests alone first, so the dependency layer is reused until they change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the app user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The official image ships an unprivileged "node" user (uid 1000).
USER node
EXPOSE 3000
# No HEALTHCHECK here: only containers that run `api` serve HTTP, so docker-compose.yml sets probes per container.
CMD ["node", "dist/scripts/start.js"]
