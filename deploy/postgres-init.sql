-- The tracker store's own database beside the business one (docker-compose.yml).
CREATE DATABASE evn_rasa OWNER evn;
