# The idgraph API as a container: `docker compose up` runs it against Neo4j (docker-compose.yml).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src src
COPY bin bin
COPY rules rules
COPY graph/migrations graph/migrations
# `npm ci` builds dist/ through the prepare script; dev dependencies are dropped afterwards.
RUN npm ci && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080
CMD ["node", "bin/idgraph.js", "serve"]
