"""The project's web app (Sanic, WEB_PORT): pay pages, gateway callbacks, the demo gateway simulator."""
