package com.shop.util;

public final class Money {
  public static long cents(long units) { return units * 100; }
}
