from .model import Model
import json


def handle(body):
    return json.dumps(Model().score(body))
